"""Figure builders: functions that take DataFrames and return plotly figures."""
