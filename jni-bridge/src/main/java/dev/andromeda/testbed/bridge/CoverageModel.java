package dev.andromeda.testbed.bridge;

import java.nio.file.Path;

/**
 * A Verilated model that may carry Verilator coverage counters: the coverage variant of a
 * model ({@code build-model.sh --coverage}, {@code tb rtl build --coverage}) counts line,
 * toggle and user {@code cover property} points, and writes them as a coverage {@code .dat}
 * when it closes -- into the file named here, or else a new file under
 * {@code -Dtb.coverage.dir} ({@link CoverageFiles}), so each run leaves its own file and
 * {@code verilator_coverage} merges them. Both bridges implement it over the same ABI entry
 * ({@code coverage_write}, tb_model_abi.h).
 */
public interface CoverageModel {
    /** True for the coverage variant of a model; the plain model has no counters. */
    boolean coverageBuilt();

    /**
     * Writes the counters to {@code datFile} when the model closes (a file of this run only;
     * its folder is made). Refused on a model built without coverage.
     *
     * @throws IllegalStateException when the model is not a coverage build
     */
    void coverageOnClose(Path datFile);
}
