"""Put first on PYTHONPATH by `make bench` to measure the app without httptools: uvicorn treats
a failed import as "not installed" and parses HTTP in pure Python instead."""

raise ModuleNotFoundError("httptools is hidden for the benchmark", name="httptools")
