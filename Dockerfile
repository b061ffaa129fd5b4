# The fraud-scorer image: the same ./fraud commands the README and the tests use.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY common/pom.xml common/
COPY trainer/pom.xml trainer/
COPY scorer/pom.xml scorer/
COPY app/pom.xml app/
RUN mvn -B -q -DskipTests dependency:go-offline || true
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/app/target/fraud.jar /app/fraud.jar
RUN printf '#!/bin/sh\nexec java --add-modules jdk.incubator.vector ${FRAUD_JAVA_OPTS:-} -jar /app/fraud.jar "$@"\n' > /usr/local/bin/fraud && chmod +x /usr/local/bin/fraud
ENTRYPOINT ["fraud"]
CMD ["--help"]
