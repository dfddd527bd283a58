package io.sair.core.memory;

class SurprisalRetrieverContractTest extends RetrieverContract {

    @Override
    Retriever retriever() {
        return SurprisalRetriever.defaults();
    }
}
