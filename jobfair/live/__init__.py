"""Live layer: 直播带岗 rooms, fair lobby, booth queues and 1:1 chats over Socket.IO."""
