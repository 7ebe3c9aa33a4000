/**
 * Frameworks, executors and tasks on the agent (Mesos' {@code Slave::Framework} and {@code Slave::Executor})
 * and what happens to them: tasks queue until their executor subscribes, a command task gets the built-in
 * command executor (a JVM, or with {@code --command_executor=embedded} an in-agent {@code ExecutorChannel}
 * whose container runs the task's command itself), a task group for an executor of type DEFAULT gets the in-agent
 * default executor, whose tasks run in nested containers of its container (the operator API's nested containers),
 * updates flow through the status update manager, and an executor's exit or registration timeout fails the tasks
 * it leaves behind. All of it is owned by the agent's actor; container launches and
 * process waits run on a blocking pool and re-enter the actor.
 */
package io.jmesos.agent.executors;
