"""The app's screens, one module each; modal dialogs live in modals.py."""
