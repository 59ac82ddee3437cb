"""City staff: accounts and roles, passwords, the second factor (TOTP), login and logout, and
the staff member's own account pages."""
