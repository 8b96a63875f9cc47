"""Small widgets of the app: the compose box, the transcript, the rapport meter and curve."""
