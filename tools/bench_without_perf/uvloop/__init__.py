"""Put first on PYTHONPATH by `make bench` to measure the app without uvloop: Streamlit treats a
failed import as "not installed" and runs the server on asyncio's own event loop."""

raise ModuleNotFoundError("uvloop is hidden for the benchmark", name="uvloop")
