"""The team server: REST API and web app over the services, with accounts, roles and tokens."""
