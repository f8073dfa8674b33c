-- Facts about the build: calendar year, whether the data is the fictitious demo, when it was built.
SELECT key, value FROM build_info
