"""Elections: a body's seats filled by nominations, a secret or a paper ballot, a count by a library, and seating."""
