import Foundation
import ProgramGenerator
import TestSupport
import Testing

@testable import MentorMatch

/// CSV meant for people must not run as formulas when opened in a spreadsheet.
@Suite struct SafeOutputTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\""),
        ("-2+3", "\"'-2+3\""),
        ("@SUM(A1)", "\"'@SUM(A1)\""),
        ("\tx", "\"'\tx\""),
        ("P00012", "P00012"),
        ("-12", "-12"),
        ("3.5", "3.5"),
        ("a,b", "\"a,b\"")
    ])
    func formulaCellsAreNeutralised(_ input: String, _ expected: String) {
        #expect(ProposalRendering.safeCSVField(input) == expected)
    }

    @Test func exportCSVNeutralisesEveryCell() {
        let text = CohortExport.render([["=1+1", "M1", "-7"]], as: .csv)
        #expect(text.contains("\"'=1+1\",M1,-7"), "\(text)")
    }
}

/// Outputs never replace the program's own files or its store, and replace other files only on request.
@Suite struct OutputOverwriteTests {
    func program() throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: 20, mentors: 8, seed: 4).write(to: dir.path)
        return (dir, dir.file("program.yaml"))
    }

    @Test func outputsNeverReplaceTheProgramsFilesOrStore() throws {
        let (dir, program) = try program()
        #expect(try CLI.run(["propose", program, "--quiet"]).status == 0)
        let roster = try Data(contentsOf: URL(fileURLWithPath: dir.file("roster.csv")))
        let store = try Data(contentsOf: URL(fileURLWithPath: dir.file("program.mentormatch.sqlite")))
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.csv"), withDestinationPath: dir.file("roster.csv"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("model.lp"), withDestinationPath: dir.file("program.yaml"))
        for args in [
            ["propose", program, "--format", "csv", "--out", dir.file("roster.csv"), "--force"],
            ["propose", program, "--out", dir.file("link.csv"), "--force"],
            ["propose", program, "--write-model", dir.file("model.lp"), "--force"],
            ["report", program, "--out", dir.file("program.mentormatch.sqlite"), "--force"],
            ["export", program, "--out", dir.path + "/./history.csv", "--force"],
            ["compare", program, "--out", dir.file("org.csv"), "--force"]
        ] {
            let r = try CLI.run(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.contains("will not write over one of the program's own files"), "\(args): \(r.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("roster.csv"))) == roster)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("program.mentormatch.sqlite"))) == store)
        #expect(try CLI.run(["review", "list", program]).status == 0)
    }

    @Test func anExistingFileIsReplacedOnlyWithForce() throws {
        let (dir, program) = try program()
        dir.write("mine.txt", "keep me")
        let refused = try CLI.run(["propose", program, "--out", dir.file("mine.txt")])
        #expect(refused.status == 1 && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: dir.file("mine.txt"), encoding: .utf8) == "keep me")
        let forced = try CLI.run(["propose", program, "--out", dir.file("mine.txt"), "--force"])
        #expect(forced.status == 0 && forced.stderr.contains("wrote \(dir.file("mine.txt"))"), "\(forced.stderr)")
        #expect(try String(contentsOfFile: dir.file("mine.txt"), encoding: .utf8) != "keep me")
        let again = try CLI.run(["generate", "--mentees", "3", "--mentors", "2", "--out", dir.path])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
    }

    /// `forget` names the report and export files written from proposals that held the person.
    @Test func forgetNamesTheFilesWrittenForThePerson() throws {
        let (dir, program) = try program()
        let proposal = try CLI.run(["propose", program, "--format", "json", "--quiet"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(proposal.stdout.utf8)) as? [String: Any])
        let pairs = try #require(doc["pairs"] as? [[String: Any]])
        let mentee = try #require(pairs.first?["mentee"] as? String)
        #expect(try CLI.run(["report", program, "--out", dir.file("cohort.html")]).status == 0)
        #expect(try CLI.run(["export", program, "--out", dir.file("hr.csv")]).status == 0)
        #expect(try CLI.run(["export", program, "--pseudonymize", "--out", dir.file("shared.csv")]).status == 0)
        let r = try CLI.run(["forget", program, mentee, "--reason", "request"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains(dir.file("cohort.html")) && r.stdout.contains(dir.file("hr.csv")), "\(r.stdout)")
        #expect(!r.stdout.contains(dir.file("shared.csv")) && r.stdout.contains("1 pseudonymised file"), "\(r.stdout)")
        #expect(r.stderr.contains("roster"))
    }
}

@Suite struct PseudonymTests {
    /// HMAC-SHA256 (RFC 2104) under the store's key; the expected names were computed apart,
    /// with Python's hmac module over the same key and id.
    @Test(arguments: [
        ("0123456789abcdef", "E1", "Person-ZKRWT6"), ("0123456789abcdef", "P00042", "Person-D332FN"),
        ("another key", "E1", "Person-CLPKPC")
    ])
    func pseudonymsAreKeyedHashes(_ key: String, _ id: String, _ expected: String) {
        var p = Pseudonyms(key: key)
        #expect(p.name(for: id) == expected)
        #expect(p.name(for: id) == expected, "stable")
    }
}

@Suite struct TextTableTests {
    /// A 100,000-character cell once took minutes (a trailing-space regular expression).
    @Test(.timeLimit(.minutes(1))) func aLongCellRendersInLinearTime() {
        let long = String(repeating: "n", count: 100_000)
        let text = TextTable.render(header: ["id", "name"], rows: [[long, "x "], ["a", "b"]])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5)
        #expect(lines[2] == Substring(long + "  x"))
        #expect(lines[3].hasPrefix("a ") && lines[3].hasSuffix("b"))
    }
}
