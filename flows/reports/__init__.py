"""What the jobs' results look like to people and programs: terminal tables, JSON, JUnit, HTML,
pictures, notifications; Jinja2 templates in templates/."""
