"""The Flask side: plain routes (exports, uploads, boundary layers), the upload job queue, hosts and headers."""
