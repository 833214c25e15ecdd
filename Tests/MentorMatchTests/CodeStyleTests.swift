import Foundation
import Testing

/// The code follows `.swift-format` (4 spaces, 150 columns, and the few rules it enables):
/// `swift format lint --strict` finds nothing. `swift format -i -r Sources Tests Fuzz` applies it.
@Suite struct CodeStyleTests {
    @Test func theCodeFollowsTheFormatConfiguration() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["swift", "format", "lint", "--strict", "-r", "Sources", "Tests", "Fuzz"]
        p.currentDirectoryURL = CLI.repoRoot
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text.prefix(2_000))")
        #expect(text.isEmpty, "\(text.prefix(2_000))")
    }
}
