package io.sair.core.memory;

class KnnRetrieverContractTest extends RetrieverContract {

    @Override
    Retriever retriever() {
        return new KnnRetriever(Similarity.defaults());
    }
}
