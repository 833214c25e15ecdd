// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MentorMatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mentormatch", targets: ["mentormatch"]),
        .library(name: "MentorMatch", targets: ["MentorMatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // GLPK headers (libglpk-dev ships no .pc file, hence a module map).
        .systemLibrary(
            name: "CGLPK",
            path: "Sources/CGLPK",
            providers: [.apt(["libglpk-dev"])]
        ),
        // C only: every GLPK call that can fail runs here, under setjmp.
        .target(
            name: "CGLPKShim",
            dependencies: ["CGLPK"],
            path: "Sources/CGLPKShim",
            linkerSettings: [.linkedLibrary("glpk")]
        ),
        // A solver-neutral integer program and the engine protocol.
        .target(name: "Optimization"),
        .target(
            name: "GLPKEngine",
            dependencies: ["Optimization", "CGLPKShim"]
        ),
        // A purpose-built min-cost flow engine (pure Swift).
        .target(name: "FlowEngine"),
        // People, policy, files. Knows nothing of solvers.
        .target(
            name: "MatchModel",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Eligibility, points, formulation. Knows nothing of files or GLPK.
        .target(
            name: "MatchSolver",
            dependencies: ["MatchModel", "Optimization", "FlowEngine"]
        ),
        // Synthetic programs of any size (SPEC 8), deterministic for a seed: benchmarks and tests.
        .target(name: "ProgramGenerator", dependencies: ["MatchModel"]),
        // The program store: proposals, review decisions, cohorts, erasure log (SQLite).
        .target(
            name: "MatchStore",
            dependencies: ["MatchModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Use cases wiring model, solver and engines.
        .target(
            name: "MentorMatch",
            dependencies: [
                "MatchModel", "MatchSolver", "Optimization", "GLPKEngine", "MatchStore", "ProgramGenerator",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The review room in the browser (`mentormatch serve`): pages and actions over the same use cases.
        .target(
            name: "ReviewRoom",
            dependencies: [
                "MentorMatch", "MatchModel", "MatchSolver", "MatchStore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "mentormatch",
            dependencies: [
                "MentorMatch", "MatchModel", "MatchSolver", "ProgramGenerator", "ReviewRoom",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer's entry point over everything a program reads (Fuzz/run.sh builds it
        // with --sanitize=fuzzer; a plain build makes an executable that does nothing).
        .executableTarget(
            name: "FuzzProgram",
            dependencies: ["MentorMatch", "MatchModel"],
            path: "Fuzz/Sources/FuzzProgram"
        ),
        // What the test targets share: the brute-force oracle, random programs, builders and
        // temporary folders (`package` access: no @testable, so release builds of every target work).
        .target(
            name: "TestSupport",
            dependencies: ["MatchModel", "MatchSolver", "Optimization", "ProgramGenerator"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "MatchModelTests", dependencies: ["MatchModel", "TestSupport"]),
        .testTarget(
            name: "ReviewRoomTests",
            dependencies: [
                "ReviewRoom", "MentorMatch", "MatchStore", "MatchModel", "ProgramGenerator", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "MatchStoreTests",
            dependencies: ["MatchStore", "MatchModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "FlowEngineTests", dependencies: ["FlowEngine"]),
        .testTarget(name: "GLPKEngineTests", dependencies: ["GLPKEngine", "Optimization", "TestSupport"]),
        .testTarget(
            name: "MatchSolverTests",
            dependencies: ["MatchSolver", "MatchModel", "Optimization", "GLPKEngine", "MentorMatch", "ProgramGenerator", "TestSupport"]
        ),
        .testTarget(
            name: "MentorMatchTests",
            dependencies: ["MentorMatch", "mentormatch", "MatchStore", "MatchSolver", "MatchModel", "GLPKEngine", "Optimization",
                           "ProgramGenerator", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
