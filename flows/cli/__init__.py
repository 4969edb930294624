"""The command line: typed click commands, the group and what they share. Commands call jobs and
reports; nothing here is imported by them."""
