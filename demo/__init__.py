"""The main job: build the release, autograde sample submissions with nbgrader, show the scores."""
