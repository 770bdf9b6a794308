"""On-site and community fairs: booth check-in, booth QR codes, the staff kiosk, claim codes."""
