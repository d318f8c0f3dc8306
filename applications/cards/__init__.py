"""Issued cards and visas: numbers, signed QR payloads, PDFs, verification, the holder's account."""
