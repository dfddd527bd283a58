package io.sair.core.memory;

class RandomRetrieverContractTest extends RetrieverContract {

    @Override
    Retriever retriever() {
        return new RandomRetriever();
    }
}
