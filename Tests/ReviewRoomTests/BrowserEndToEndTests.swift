import Foundation
import MatchStore
import MentorMatch
import ProgramGenerator
import TestSupport
import Testing

@testable import ReviewRoom

/// The review room in a real headless browser (Debian's chromium, driven through chromedriver):
/// open a proposal, filter it, accept a pair, propose again, and find the decision applied in
/// the store. Screenshots of the main pages are taken on the way (into the test's temporary
/// folder; set MENTORMATCH_SCREENSHOTS to a folder to keep them, as docs/images was made).
@Suite(.serialized) struct BrowserEndToEndTests {
    /// Waits until something answers HTTP at `url`.
    static func waitUntilUp(_ url: URL) async throws {
        var last: (any Error)?
        for _ in 0..<150 {
            do {
                _ = try await WebDriver.fetch(url)
                return
            } catch {
                last = error
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriver.Failure(description: "nothing answered at \(url): \(last.map { "\($0)" } ?? "")")
    }

    @Test(.enabled(if: WebDriver.installed != nil, "needs Debian's chromium and chromium-driver (.ci/run installs them)"))
    func aReviewerFiltersAcceptsAndProposesAgain() async throws {
        let (browser, driverPath) = WebDriver.installed!
        let folder = TemporaryDirectory("mm-browser")
        try RosterGenerator(mentees: 60, mentors: 22, seed: 11).write(to: folder.path)
        let program = folder.file("program.yaml")
        _ = try Review(programPath: program).propose(Propose(), by: "tester")
        let first = try #require(try Review(programPath: program).open().proposal(1))
        let pair = try #require(first.pairs.first)

        var setup = ReviewRoom(programPath: program)
        setup.port = LocalPort.free()
        let room = setup
        let server = Task { try await room.run { _ in } }
        defer { server.cancel() }
        let origin = "http://127.0.0.1:\(room.port)"

        let driverPort = LocalPort.free()
        let driverProcess = Process()
        driverProcess.executableURL = URL(fileURLWithPath: driverPath)
        driverProcess.arguments = ["--port=\(driverPort)"]
        driverProcess.standardOutput = FileHandle.nullDevice
        driverProcess.standardError = FileHandle.nullDevice
        try driverProcess.run()
        defer { driverProcess.terminate() }
        let driverURL = URL(string: "http://127.0.0.1:\(driverPort)")!
        try await Self.waitUntilUp(driverURL.appendingPathComponent("status"))
        try await Self.waitUntilUp(URL(string: origin + "/assets/room.css")!)

        let web = try await WebDriver.start(driverAt: driverURL, browser: browser, profile: folder.file("browser-profile"))
        // The steps in the browser, then the browser quits whatever happened (a `defer` cannot
        // await): it writes its profile into the folder until it has quit, and would leave a new
        // folder behind once this one is removed.
        func review() async throws {
            var shots: [(String, Data)] = []

            // The link `serve` prints: the token becomes a cookie and leaves the address bar.
            try await web.open("\(origin)/?token=\(room.token.value)")
            _ = try await web.waitFor("Cycle 2027-H1")
            #expect(try await !web.currentURL().contains("token="))
            shots.append(("program", try await web.screenshot()))

            try await web.open("\(origin)/proposals/1")
            _ = try await web.waitFor("Pairs (\(first.pairs.count))")
            shots.append(("proposal", try await web.screenshot()))
            try await web.type(pair.menteeID, into: "input[name=q]")
            try await web.click("form.filters button[type=submit]")
            _ = try await web.waitFor("Pairs (1 of \(first.pairs.count))")

            try await web.click("input.pick")
            try await web.type("agreed with both managers", into: "#decide input[name=reason]")
            try await web.click("#decide button[type=submit]")
            _ = try await web.waitFor("accepted \(pair.mentorID):\(pair.menteeID)")

            try await web.open("\(origin)/proposals/1/mentees/\(pair.menteeID)")
            _ = try await web.waitFor("Re-match this mentee")
            shots.append(("mentee", try await web.screenshot()))

            try await web.open("\(origin)/")
            try await web.click("form[action='/propose'] button[type=submit]")
            _ = try await web.waitFor("id=\"job-finished\"", seconds: 120)
            try await web.click("#job-finished a")
            _ = try await web.waitFor("Proposal 2")

            let store = try Review(programPath: program).open()
            let second = try #require(try store.proposal(2))
            #expect(second.pairs.contains { $0.key == pair.key && $0.decision == "accepted" })
            let record = try #require(try store.binding(cycle: second.cohort).inForce[pair.key])
            #expect(record.action == .accept && record.reason == "agreed with both managers")

            for (name, png) in shots {
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
                try png.write(to: URL(fileURLWithPath: folder.file("\(name).png")))
                if let keep = ProcessInfo.processInfo.environment["MENTORMATCH_SCREENSHOTS"] {
                    try png.write(to: URL(fileURLWithPath: keep).appendingPathComponent("review-room-\(name).png"))
                }
            }
        }
        do {
            try await review()
        } catch {
            await web.quit()
            throw error
        }
        await web.quit()
    }
}
