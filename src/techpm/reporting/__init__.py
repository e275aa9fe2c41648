"""Reports and charts for people: documents, SVG and PNG."""
