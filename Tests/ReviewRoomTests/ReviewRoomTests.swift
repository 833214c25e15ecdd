import Foundation
import Hummingbird
import HummingbirdTesting
import MatchModel
import MatchStore
import MentorMatch
import ProgramGenerator
import TestSupport
import Testing

@testable import ReviewRoom

/// The review room at the HTTP level: every route, every refusal, and the actions' effect in the
/// store — through Hummingbird's router test client (no network).
@Suite struct ReviewRoomTests {
    /// A generated program in a temporary folder with one proposal recorded, and its room.
    final class Fixture: Sendable {
        let folder = TemporaryDirectory("mm-room")
        let room: ReviewRoom
        let cookie: String
        var program: String { folder.file("program.yaml") }

        init(mentees: Int = 40, mentors: Int = 15, propose: Bool = true) throws {
            try RosterGenerator(mentees: mentees, mentors: mentors, seed: 3).write(to: folder.path)
            var room = ReviewRoom(programPath: folder.file("program.yaml"), token: AccessToken(value: "t0ken-for-tests"))
            room.pageSize = 10
            self.room = room
            cookie = "\(AccessToken.cookieName)=t0ken-for-tests"
            if propose { _ = try Review(programPath: program).propose(Propose(), by: "tester") }
        }

        var store: ProgramStore { get throws { try Review(programPath: program).open() } }

        func app() -> some ApplicationProtocol { Application(router: room.router()) }

        func headers(cookie: Bool = true, form: Bool = false) -> HTTPFields {
            var h: HTTPFields = [:]
            if cookie { h[.cookie] = self.cookie }
            if form { h[.contentType] = "application/x-www-form-urlencoded" }
            return h
        }

        func form(_ fields: [(String, String)], token: String? = "t0ken-for-tests") -> ByteBuffer {
            let all = (token.map { [("token", $0)] } ?? []) + fields
            let text = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            return ByteBuffer(string: text)
        }
    }

    static func text(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// A background job's page once it has finished or failed (a minute at most).
    static func jobPage(_ location: String, _ client: some TestClientProtocol, _ f: Fixture) async throws -> String {
        var page = ""
        for _ in 0..<600 {
            page = try await client.execute(uri: location, method: .get, headers: f.headers()) { Self.text($0) }
            if page.contains("job-finished") || page.contains("class=\"error\"") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return page
    }

    @Test func theTokenIsRequiredAndMovesIntoACookie() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: f.headers(cookie: false)) { r in
                #expect(r.status == .unauthorized)
                #expect(Self.text(r).contains("open the link"))
            }
            try await client.execute(uri: "/?token=wrong", method: .get, headers: f.headers(cookie: false)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/?token=t0ken-for-tests", method: .get, headers: f.headers(cookie: false)) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/")
                let cookie = r.headers[.setCookie] ?? ""
                #expect(cookie.contains("t0ken-for-tests") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            }
            try await client.execute(uri: "/", method: .get, headers: [.cookie: "mentormatch_token=nope"]) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                #expect(Self.text(r).contains("/proposals/1"))
            }
        }
    }

    /// A page on another site whose name was made to point here (DNS rebinding) sends its own
    /// name as `Host`: refused. The router test client always says `localhost`.
    @Test func onlyThisServersNamesAreAllowed() throws {
        var room = ReviewRoom(programPath: "/nowhere/program.yaml")
        room.port = 8800
        #expect(AccessGuard.allows(authority: "127.0.0.1:8800", hosts: room.allowedHosts))
        #expect(AccessGuard.allows(authority: "LOCALHOST:8800", hosts: room.allowedHosts))
        #expect(!AccessGuard.allows(authority: "evil.example:8800", hosts: room.allowedHosts))
        #expect(!AccessGuard.allows(authority: "127.0.0.1:9999", hosts: room.allowedHosts))
        #expect(!AccessGuard.allows(authority: nil, hosts: room.allowedHosts))
        room.host = "10.0.0.5"
        #expect(AccessGuard.allows(authority: "10.0.0.5:8800", hosts: room.allowedHosts))
        #expect(!AccessGuard.allows(authority: "localhost:8800", hosts: room.allowedHosts))
    }

    @Test func theProposalPageFiltersSortsAndPages() async throws {
        let f = try Fixture()
        let p = try #require(try f.store.proposal(1))
        let best = try #require(p.pairs.max { $0.points < $1.points })
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/proposals/1", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                let t = Self.text(r)
                #expect(t.contains("Pairs (\(p.pairs.count))"))
                #expect(t.contains("page 1 of"))
                // Most points first: the best pair is on the first page.
                #expect(t.contains("value=\"\(best.mentorID):\(best.menteeID)\""))
            }
            try await client.execute(uri: "/proposals/1?q=\(best.menteeID)", method: .get, headers: f.headers()) { r in
                let t = Self.text(r)
                #expect(t.contains("Pairs (1 of \(p.pairs.count))"))
                #expect(t.contains(best.menteeID))
            }
            try await client.execute(uri: "/proposals/1?min=\(best.points + 1)", method: .get, headers: f.headers()) { r in
                #expect(Self.text(r).contains("Pairs (0 of"))
            }
            try await client.execute(uri: "/proposals/1?decision=accepted", method: .get, headers: f.headers()) { r in
                #expect(Self.text(r).contains("Pairs (0 of"))
            }
            try await client.execute(uri: "/proposals/99", method: .get, headers: f.headers()) { r in
                #expect(r.status == .badRequest)
                #expect(Self.text(r).contains("there is no proposal 99"))
            }
        }
    }

    @Test func aDecisionIsRecordedAsTheCLIRecordsIt() async throws {
        let f = try Fixture()
        let p = try #require(try f.store.proposal(1))
        let pair = p.pairs[0]
        let key = "\(pair.mentorID):\(pair.menteeID)"
        try await f.app().test(.router) { client in
            // Without the form's token: refused, nothing recorded.
            try await client.execute(
                uri: "/decisions", method: .post, headers: f.headers(form: true),
                body: f.form([("action", "accept"), ("pair", key), ("reason", "agreed"), ("by", "Ann")], token: nil)
            ) { r in
                #expect(r.status == .forbidden)
            }
            #expect(try f.store.binding(cycle: p.cohort).inForce.isEmpty)
            // A person not in the roster: the CLI's message.
            try await client.execute(
                uri: "/decisions", method: .post, headers: f.headers(form: true),
                body: f.form([("action", "lock"), ("pair", "NOBODY:\(pair.menteeID)"), ("reason", "x"), ("by", "Ann")])
            ) { r in
                #expect(r.status == .badRequest)
                #expect(Self.text(r).contains("no person &#39;NOBODY&#39; in the roster"))
            }
            try await client.execute(
                uri: "/decisions", method: .post, headers: f.headers(form: true),
                body: f.form([("action", "accept"), ("pair", key), ("reason", "agreed"), ("by", "Ann"), ("back", "/proposals/1")])
            ) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location]?.hasPrefix("/proposals/1?done=") == true)
            }
            // No reason: refused.
            try await client.execute(
                uri: "/decisions", method: .post, headers: f.headers(form: true),
                body: f.form([("action", "reject"), ("pair", key), ("by", "Ann")])
            ) { r in
                #expect(r.status == .badRequest)
            }
            // A return address on another site is not followed.
            try await client.execute(
                uri: "/decisions", method: .post, headers: f.headers(form: true),
                body: f.form([("action", "lock"), ("pair", key), ("reason", "x"), ("by", "Ann"), ("back", "//evil.example/")])
            ) { r in
                #expect(r.headers[.location]?.hasPrefix("/?done=") == true)
            }
        }
        let record = try #require(try f.store.binding(cycle: p.cohort).inForce[PairKey(mentorID: pair.mentorID, menteeID: pair.menteeID)])
        #expect(record.action == .lock && record.by == "Ann")
        #expect(try f.store.auditTrail().contains { $0.kind == .decision && $0.by == "Ann" && $0.reason == "agreed" })
    }

    @Test func proposingFromTheRoomAppliesTheDecisions() async throws {
        let f = try Fixture()
        let p = try #require(try f.store.proposal(1))
        let pair = p.pairs.last!
        _ = try Review(programPath: f.program).decide(.reject, pairs: [pair.key], by: "cli", reason: "same team")
        try await f.app().test(.router) { client in
            let location = try await client.execute(
                uri: "/propose", method: .post, headers: f.headers(form: true), body: f.form([("by", "Bea")])
            ) { r in
                #expect(r.status == .seeOther)
                return r.headers[.location] ?? ""
            }
            #expect(location == "/jobs/1")
            let finished = try await Self.jobPage(location, client, f)
            #expect(finished.contains("/proposals/2"), "\(finished)")
        }
        let second = try #require(try f.store.proposal(2))
        #expect(second.createdBy == "Bea")
        #expect(!second.pairs.contains { $0.key == pair.key })
    }

    @Test func aMenteePageExplainsAndUnknownMenteesAreNamed() async throws {
        let f = try Fixture()
        let p = try #require(try f.store.proposal(1))
        let pair = p.pairs[0]
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/proposals/1/mentees/\(pair.menteeID)", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                let t = Self.text(r)
                #expect(t.contains("Matched with") && t.contains(pair.mentorID) && t.contains("\(pair.points)</th>"))
            }
            try await client.execute(uri: "/proposals/1/mentees/NOBODY", method: .get, headers: f.headers()) { r in
                #expect(r.status == .badRequest)
                #expect(Self.text(r).contains("is not in the roster"))
            }
            // A negotiated pair fixed from the mentee's page.
            try await client.execute(
                uri: "/decisions", method: .post, headers: f.headers(form: true),
                body: f.form([("action", "lock"), ("mentor", pair.mentorID), ("mentee", pair.menteeID), ("reason", "agreed"), ("by", "Cy")])
            ) { r in
                #expect(r.status == .seeOther)
            }
        }
        #expect(try f.store.binding(cycle: p.cohort).inForce[pair.key]?.action == .lock)
    }

    @Test func finalisingNeedsConfirmationAndEndsTheCycle() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/finalise", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                #expect(Self.text(r).contains("count as history"))
            }
            try await client.execute(uri: "/finalise", method: .post, headers: f.headers(form: true), body: f.form([("by", "Ann")])) { r in
                #expect(r.status == .badRequest)
                #expect(Self.text(r).contains("tick the confirmation"))
            }
            try await client.execute(
                uri: "/finalise", method: .post, headers: f.headers(form: true), body: f.form([("by", "Ann"), ("confirm", "yes")])
            ) { r in
                #expect(r.status == .seeOther)
            }
            try await client.execute(uri: "/", method: .get, headers: f.headers()) { r in
                #expect(Self.text(r).contains("Finalised cohorts"))
            }
        }
        #expect(try f.store.history().count == (try f.store.proposal(1)?.pairs.count ?? -1))
    }

    @Test func theReportAndTheExportsAreServed() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/proposals/1/report", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                #expect(Self.text(r).contains("cohort report"))
                #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            try await client.execute(uri: "/proposals/1/export/csv", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                #expect(Self.text(r).hasPrefix("mentor_id,mentor_name,mentee_id"))
                #expect(r.headers[.contentDisposition]?.contains("attachment") == true)
            }
            try await client.execute(uri: "/proposals/1/export/pdf", method: .get, headers: f.headers()) { r in
                #expect(r.status == .notFound)
                #expect(Self.text(r).contains("exports are csv, json or xlsx-csv"))
            }
        }
    }

    @Test func whatIfVariantsAreComparedSideBySide() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/compare", method: .get, headers: f.headers()) { r in
                #expect(Self.text(r).contains("No what-if file"))
            }
            try f.folder.write([
                "whatif.yaml": "base: program.yaml\nvariants:\n  - name: wider time zones\n    set:\n      rules.max_timezone_gap_hours: 9\n"
            ])
            try await client.execute(uri: "/compare", method: .get, headers: f.headers()) { r in
                #expect(Self.text(r).contains("<option>whatif.yaml</option>"))
            }
            try await client.execute(
                uri: "/compare", method: .post, headers: f.headers(form: true), body: f.form([("file", "../elsewhere.yaml")])
            ) { r in
                #expect(r.status == .badRequest)
            }
            let location = try await client.execute(
                uri: "/compare", method: .post, headers: f.headers(form: true), body: f.form([("file", "whatif.yaml")])
            ) { $0.headers[.location] ?? "" }
            let page = try await Self.jobPage(location, client, f)
            #expect(page.contains("Variants side by side") && page.contains("wider time zones"), "\(page.prefix(2_000))")
        }
    }

    @Test func theAuditTrailAssetsAndUnknownJobs() async throws {
        let f = try Fixture()
        _ = try Review(programPath: f.program).decide(
            .reject, pairs: [try #require(try f.store.proposal(1)).pairs[0].key], by: "Dee", reason: "same team")
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/log", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok)
                let t = Self.text(r)
                #expect(t.contains("Dee") && t.contains("same team") && t.contains("proposal 1"))
            }
            try await client.execute(uri: "/assets/room.css", method: .get, headers: f.headers()) { r in
                #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/css") == true)
            }
            try await client.execute(uri: "/jobs/42", method: .get, headers: f.headers()) { r in
                #expect(r.status == .notFound)
                #expect(Self.text(r).contains("there is no propose 42"))
            }
        }
    }

    /// A program with peer and senior tiers: each pair's tier is shown and filters the list.
    @Test func pairsOfAProgramWithTiersFilterByTier() async throws {
        let folder = TemporaryDirectory("mm-room-tiers")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/peer-and-senior-2027").path
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name.hasSuffix(".csv") || name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder.file(name))
        }
        _ = try Review(programPath: folder.file("program.yaml")).propose(Propose(), by: "tester")
        let p = try #require(try Review(programPath: folder.file("program.yaml")).open().proposal(1))
        let room = ReviewRoom(programPath: folder.file("program.yaml"), token: AccessToken(value: "t"))
        let headers: HTTPFields = [.cookie: "mentormatch_token=t"]
        try await Application(router: room.router()).test(.router) { client in
            let all = try await client.execute(uri: "/proposals/1", method: .get, headers: headers) { Self.text($0) }
            #expect(all.contains("<th>tier</th>"))
            let options = all.components(separatedBy: "<select name=\"tier\">").last?.components(separatedBy: "</select>").first ?? ""
            let names = options.components(separatedBy: "<option>").dropFirst().map { $0.components(separatedBy: "<").first ?? "" }
            #expect(names.count >= 2, "\(options)")
            var counted = 0
            for name in names {
                let page = try await client.execute(uri: "/proposals/1?tier=\(name)", method: .get, headers: headers) { Self.text($0) }
                let n = page.components(separatedBy: "Pairs (").dropFirst().first?.components(separatedBy: " ").first ?? ""
                counted += Int(n.replacingOccurrences(of: ",", with: "")) ?? 0
            }
            #expect(counted == p.pairs.count)
        }
    }

    @Test func namesAreEscaped() async throws {
        let f = try Fixture()
        let roster = f.folder.file("roster.csv")
        var text = try String(contentsOfFile: roster, encoding: .utf8)
        let p = try #require(try f.store.proposal(1))
        let id = p.pairs[0].menteeID
        // The mentee's name becomes markup; the page must show it as text.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices where lines[i].hasPrefix(id + ",") {
            var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[1] = "<script>alert(1)</script>"
            lines[i] = cells.joined(separator: ",")
        }
        text = lines.joined(separator: "\n")
        try text.write(toFile: roster, atomically: true, encoding: .utf8)
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/proposals/1?q=\(id)", method: .get, headers: f.headers()) { r in
                let t = Self.text(r)
                #expect(!t.contains("<script>alert"))
                #expect(t.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }
    }
}
