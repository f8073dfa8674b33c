"""The dashboard's shared code: database access, named queries, formatting, charts and page parts."""
