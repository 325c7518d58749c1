//! Plaza kiosk: the full-screen citizen terminal (built in the kiosk issue).
