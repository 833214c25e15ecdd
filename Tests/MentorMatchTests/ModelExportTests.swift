import Foundation
import GLPKEngine
import Optimization
import ProgramGenerator
import TestSupport
import Testing

@testable import MentorMatch

/// SPEC 5.2: the written model, read back and maximised by a solver, gives the
/// proposal's total points — for both engines and both file formats.
@Suite(.serialized) struct ModelExportTests {
    @Test(arguments: ["auto", "glpk-model"])
    func theWrittenModelReproducesTheTotalPoints(engine: String) throws {
        let dir = TemporaryDirectory()
        try RosterGenerator(mentees: 50, mentors: 20, seed: 12, equity: engine == "glpk-model").write(to: dir.path)
        for ext in ["mps", "lp"] {
            let r = try CLI.run([
                "propose", dir.file("program.yaml"), "--no-store", "--engine", engine, "--format", "json",
                "--write-model", dir.file("m.\(ext)"), "--quiet"
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let total = try #require((doc["objective"] as? [String: Int])?["total_points"])
            let optimum = try GLPKEngine.readAndMaximize(path: dir.file("m.\(ext)"), format: ModelFileFormat(rawValue: ext)!)
            #expect(Int(optimum.rounded()) == total, "\(engine) .\(ext)")
        }
        let mps = try String(contentsOfFile: dir.file("m.mps"), encoding: .utf8)
        #expect(mps.hasPrefix("* Objective sense: MAXIMIZE"))
    }
}
