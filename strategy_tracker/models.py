# The project's own app holds no tables: its migrations create the role groups.
