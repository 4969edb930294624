from flows.cli.main import entry

entry()
