import ArgumentParser
import Foundation
import MatchModel
import MentorMatch
import ReviewRoom

/// `mentormatch serve`: the review room in the browser, over the program's store.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the review room: the program's proposals in the browser, to decide on together.",
        discussion: """
            Serves a local web page over the same program store the other commands use:
            the cycles and their proposals, each proposal's pairs (search, filter, sort),
            the unmatched by reason, each equity rule's outcome, why a mentee got their
            mentor (or none), and the actions — accept, reject, lock, unlock, re-match,
            propose again with the decisions applied, finalise the cycle. Every action is
            recorded in the audit trail with who and why, as on the command line; the CLI
            and the browser can be used on one store at the same time.

            It prints one address with a secret token: open it (only that link works; the
            token moves into a cookie for this address). It listens on this computer only
            unless --host names another address. Ctrl-C stops it; nothing is half-written.

            Example:
              mentormatch serve Scenarios/engineering-2027/program.yaml
              mentormatch serve program.yaml --port 8800
            """)

    @Argument(help: "The program file.") var program: String
    @Option(help: "The port to listen on.") var port = 8765
    @Option(help: "The address to listen on. Anything but this computer's loopback lets others on the network reach the room.")
    var host = "127.0.0.1"
    @Option(help: "The program store (default: PROGRAM's name with .mentormatch.sqlite, beside it).") var store: String?

    func validate() throws {
        if !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535, not \(port)") }
        if !FileManager.default.fileExists(atPath: program) { throw ValidationError("no program file at '\(program)'") }
    }

    func run() async throws {
        var room = ReviewRoom(programPath: program, storePath: store)
        room.host = host
        room.port = port
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            Terminal.error(
                "warning: listening on \(host): anyone who can reach this address and has the link can see the program's people and decide on pairs")
        }
        do { _ = try Review(programPath: program, storePath: store).open() } catch let e as InputError {
            Terminal.report(e.diagnostics)
            throw ExitCode(1)
        }
        do {
            try await room.run { url in
                Terminal.error("MentorMatch review room for \(program)\nopen: \(url)\n(Ctrl-C stops it)")
            }
        } catch {
            let text = "\(error)"
            Terminal.error(
                text.contains("Address already in use")
                    ? "error: port \(port) on \(host) is in use (another review room, or another program); choose another with --port"
                    : "error: the review room could not listen on \(host):\(port): \(text)")
            throw ExitCode(1)
        }
    }
}
