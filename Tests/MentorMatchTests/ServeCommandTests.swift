import Foundation
import TestSupport
import Testing

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
        let busy = LocalPort(listening: true)
        let port = busy.port
        let r = try CLI.run(["serve", CLI.sample, "--port", String(port)])
        #expect(r.status == 1)
        #expect(r.stderr.contains("port \(port) on 127.0.0.1 is in use"), "\(r.stderr)")
        withExtendedLifetime(busy) {}
    }
}
