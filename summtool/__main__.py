"""`python -m summtool` runs the CLI."""
from .cli import app

app(prog_name="summtool")
