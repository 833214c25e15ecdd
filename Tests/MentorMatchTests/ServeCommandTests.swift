import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve`'s refusals, as a user meets them at the terminal (the room itself: ReviewRoomTests).
@Suite struct ServeCommandTests {
    @Test func aBadPortOrAMissingProgramIsRefusedBeforeServing() throws {
        let port = try CLI.run(["serve", CLI.sample, "--port", "70000"])
        #expect(port.status == 64)
        #expect(port.stderr.contains("--port must be from 1 to 65535, not 70000"))
        let missing = try CLI.run(["serve", "/nowhere/program.yaml"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("no program file at '/nowhere/program.yaml'"))
    }

    @Test func aPortInUseIsSaidInWords() throws {
        // Hold a port open, then ask serve for it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        try #require(bound == 0 && listen(fd, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let r = try CLI.run(["serve", CLI.sample, "--port", String(port)])
        #expect(r.status == 1)
        #expect(r.stderr.contains("port \(port) on 127.0.0.1 is in use"), "\(r.stderr)")
    }
}
