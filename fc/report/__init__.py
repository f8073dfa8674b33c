"""Reports: the centre annual report and the county/national compilation as Word and Excel."""
