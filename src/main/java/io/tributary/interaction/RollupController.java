package io.tributary.interaction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/rollups}: the rollups behind {@code /api/v1/interactions/stats}
 * (scope {@code operate}).
 */
@RestController
@RequestMapping(path = "/api/v1/admin/rollups", produces = "application/json")
@Tag(name = "Admin", description = "Maintenance of the stored copy")
class RollupController {

	private final Rollups rollups;

	RollupController(Rollups rollups) {
		this.rollups = rollups;
	}

	@PostMapping("/rebuild")
	@Operation(operationId = "rebuildRollups", summary = "Recompute the stats rollups from the interactions",
			description = "Every hourly rollup (for a key limited to some connections: those of its connections) is recomputed from the stored interactions in one transaction. Writes keep them exact without this; it repairs rollups a hand-made change with the triggers switched off left behind. Syncs wait until it commits (their writes are held off); reads go on.")
	@ApiResponse(responseCode = "200", description = "The rollups were rebuilt")
	Rollups.Rebuilt rebuild() {
		return this.rollups.rebuild();
	}

}
