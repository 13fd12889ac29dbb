"""Developer tools: test and benchmark material (render_pfd, make_samples). Not part of the pipeline."""
