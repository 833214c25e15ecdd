import Foundation
import TestSupport
import Testing

@testable import MatchModel
@testable import MentorMatch

/// `init` starts a program that `check` reads once the roster has people, and the template
/// and the program-file reference name every key the reader knows.
@Suite struct ProgramTemplateTests {
    @Test func initWritesAProgramThatLoadsOnceTheRosterIsFilled() throws {
        let dir = TemporaryDirectory()
        let r = try CLI.run(["init", dir.path + "/p"])
        #expect(r.status == 0, "\(r.stderr)")
        let program = dir.path + "/p/program.yaml"
        let empty = try CLI.run(["check", program])
        #expect(empty.status == 1 && empty.stderr.contains("header but no people"), "\(empty.stderr)")
        let rows =
            "M1,Ann,mentor,8,Eng,HQ,Europe/Berlin,en,,swift:4,,,24,4,D,,normal,no,\nE1,Bob,mentee,5,Ops,HQ,Europe/Berlin,en,M1,,swift:2,,,,I,,high,no,\n"
        let handle = try #require(FileHandle(forWritingAtPath: dir.path + "/p/roster.csv"))
        handle.seekToEndOfFile()
        handle.write(Data(rows.utf8))
        try handle.close()
        let loaded = try ProgramLoader.load(path: program)
        #expect(loaded.program.people.count == 2)
        #expect(loaded.program.policy == Policy(), "the template's values are the defaults")
        #expect(loaded.program.cohort == "2027-H1")
        let again = try CLI.run(["init", dir.path + "/p"])
        #expect(again.status == 1 && again.stderr.contains("--force"))
    }

    @Test func theTemplateAndTheReferenceNameEveryKey() throws {
        let reference = try String(contentsOf: CLI.repoRoot.appendingPathComponent("docs/program-file.md"), encoding: .utf8)
        let keys =
            ProgramFile.topKeys + ProgramFile.weightKeys + ProgramFile.ruleKeys + ProgramFile.equityKeys
            + [
                "time_limit_seconds", "mip_gap", "min_tenure_months", "min_rating", "tolerance", "attribute", "min_share_outside", "bands",
                "column", "kind", "weight", "missing", "file"
            ]
        for key in keys {
            #expect(ProgramTemplate.programFile.contains(key), "the template lacks \(key)")
            #expect(reference.contains("`\(key)`") || reference.contains("\(key):"), "docs/program-file.md lacks \(key)")
        }
        for column in RosterFile.columns { #expect(reference.contains("`\(column)`"), "docs/program-file.md lacks column \(column)") }
    }
}
