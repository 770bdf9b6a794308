"""Registration, login, logout, password change and API tokens."""
