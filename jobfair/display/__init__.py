"""适老化 (elder-friendly) display mode: the switch, where it is remembered, what it changes.

services: the mode of a request (device cookie, else the account's choice) and the longer
waits it grants in live rooms; views: the switch and the page that explains the mode.
"""
