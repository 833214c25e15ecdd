import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to a port the kernel chose on 127.0.0.1: held open (listening) to make the
/// port busy, or closed at once to learn a free one.
package final class LocalPort {
    package let port: Int
    private let fd: Int32

    /// - Parameter listening: keep the port busy until this value is released.
    package init(listening: Bool) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        if listening { _ = listen(fd, 1) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A port no one listens on now.
    package static func free() -> Int { LocalPort(listening: false).port }

    deinit { close(fd) }
}
