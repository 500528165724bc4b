// Notebook kernels redirect Console and change the working directory for the process while a cell runs,
// and TorchSharp tests use every core: run tests one at a time so they cannot disturb each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
