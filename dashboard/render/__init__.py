"""Pure builders of what the page shows and exports: figures, tables, the event card, the basemap style, files."""
