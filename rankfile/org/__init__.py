"""Organization: people, memberships, bodies, seats and terms, restrictions, bylaws."""
