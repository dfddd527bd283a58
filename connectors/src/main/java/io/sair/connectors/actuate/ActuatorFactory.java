package io.sair.connectors.actuate;

import java.io.Serializable;
import java.util.List;

/**
 * Builds the actuators on the task manager, in {@code open()}: clients, credentials and tokens are
 * created where they are used and never travel in the job graph.
 */
@FunctionalInterface
public interface ActuatorFactory extends Serializable {

    List<Actuator> create() throws Exception;
}
