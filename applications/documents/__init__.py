"""The document pipeline: inspection and sanitising core plus its Django wiring."""
