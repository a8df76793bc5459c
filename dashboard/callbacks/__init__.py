"""The Dash callbacks: the view flow (controls and URL <-> view, then each part of the page) and the event card."""
