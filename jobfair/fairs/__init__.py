"""云招聘 fairs: organiser CRUD, booths, seeker registration, fair and booth pages."""
