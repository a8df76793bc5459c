"""The Flask side: plain routes (exports, uploads, boundary layers, the offline basemap), the upload job queue,
hosts, tokens and headers, and the guard against 500s from input."""
