"""Live layer: 直播带岗 rooms, fair lobby, booth queues and 1:1 chats over Socket.IO.

Modules import downwards only, in this order:

- ``presence``, ``realtime``: who is online, and reaching sockets (core; models and below only)
- ``access``: who may see and do what, and the checks on what people send
- ``serializers``: rows as the dicts pages, sockets and the API send
- ``queries``: reads (backfill, lobby and queue state, counters, open reports)
- ``broadcasts``: what is announced after a commit (builds payloads from ``queries``)
- operations, each writing, committing, then calling ``broadcasts``: ``chat``, ``sessions``,
  ``announcements``, ``queues``, ``desk``, ``moderation``
- ``views``, ``namespaces``: the HTML routes and Socket.IO handlers that call them
"""
