"""Accounts: sign-in by email, invitations, password reset and two-factor authentication."""
