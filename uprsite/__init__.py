"""uprsite: builds the UPR recommendations site from YAML content."""
