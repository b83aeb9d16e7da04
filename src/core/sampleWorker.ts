// Worker-thread entry for the live poll (implemented with the sampler).
export {};
