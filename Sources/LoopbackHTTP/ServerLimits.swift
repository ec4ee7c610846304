/// The bounds that keep one misbehaving client from holding the server, each with the reason for it.
struct ServerLimits: Sendable {
    /// Largest header section, request line included (answer 431 above it). 32 KiB is far above what
    /// URLSession sends with a signed request and far below what would strain memory per connection.
    var maxHeadBytes = 32 << 10
    /// Largest body (answer 413 above it).
    var maxContentLength = 16 << 20
    /// `SO_RCVTIMEO` and `SO_SNDTIMEO`: how long a single read or write may wait.
    var idleTimeout: Duration = .seconds(5)
    /// The whole request must arrive within this, so a client dripping one byte per idle period cannot
    /// hold a connection forever (408 when it passes).
    var requestDeadline: Duration = .seconds(30)
    /// The whole response must be written within this.
    var responseDeadline: Duration = .seconds(30)
    /// How long a closing connection waits for the client's FIN after the response (lingering close).
    var lingerTimeout: Duration = .seconds(1)
    /// `listen` backlog; large so a burst of connections queues instead of being retried by SYN timeout.
    var backlog: Int32 = 1024
}
